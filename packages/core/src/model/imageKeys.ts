/** Key of the image shared by the steps with the pipeline's settings (and a reserved step name). */
export const PIPELINE_IMAGE_KEY = 'pipeline';
